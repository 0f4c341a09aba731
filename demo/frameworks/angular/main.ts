// Intake Widgets in an Angular 21 app (docs/frameworks.md): zoneless, no zone.js.
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import 'intake-widgets/define';
import { AppComponent } from './app.component.js';

await bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] });
