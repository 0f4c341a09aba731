// Intake Widgets in an Angular 21 app (docs/frameworks.md): a standalone, zoneless component.
// CUSTOM_ELEMENTS_SCHEMA lets the template use <intake-widget>; `[strings]` binds a property,
// `[attr.locale]` an attribute, `(intake-message-sent)` listens to the widget's event.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, signal, viewChild } from '@angular/core';
import type { IntakeMessageSentEvent, IntakeRequestSubmittedEvent, IntakeWidget } from 'intake-widgets';

const params = new URLSearchParams(location.search);

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Garden community (Angular)</h1>
      <p>
        <button type="button" (click)="ask()">Ask about rubbish collection</button>
        <button type="button" (click)="renders.set(renders() + 1)">Re-render</button>
        <button type="button" (click)="locale.set(locale() === 'en' ? 'zh-CN' : 'en')">Switch language</button>
        <button type="button" (click)="shown.set(!shown())">{{ shown() ? 'Remove the widget' : 'Add the widget' }}</button>
      </p>
      <p role="status" data-testid="sent">{{ sent().length }} sent</p>
      <p data-testid="renders">{{ renders() }} re-renders</p>
      @if (reference()) {
        <p data-testid="reference">Your request: {{ reference() }}</p>
      }
      @if (shown()) {
        <intake-widget
          #widget
          [attr.endpoint]="endpoint"
          [attr.site]="site"
          [attr.locale]="locale()"
          [strings]="strings"
          (intake-message-sent)="onSent($event)"
          (intake-request-submitted)="onSubmitted($event)"
        ></intake-widget>
      }
    </main>
  `,
})
export class AppComponent {
  readonly endpoint = params.get('endpoint') ?? 'http://127.0.0.1:8787/api/v1';
  readonly site = params.get('site') ?? 'riverside/xinhua/garden';
  /** The site's own wording: an object, so it is bound as a property. */
  readonly strings = { 'chat.greeting': 'Hello from the Angular example! Ask us anything.' };
  readonly widget = viewChild<ElementRef<IntakeWidget>>('widget');
  readonly sent = signal<string[]>([]);
  readonly reference = signal('');
  readonly locale = signal('en');
  readonly shown = signal(true);
  readonly renders = signal(0);

  ask(): void {
    void this.widget()?.nativeElement.startChat({ topic: 'Rubbish collection' });
  }
  onSent(event: Event): void {
    this.sent.update((ids) => [...ids, (event as IntakeMessageSentEvent).detail.clientId]);
  }
  onSubmitted(event: Event): void {
    this.reference.set((event as IntakeRequestSubmittedEvent).detail.reference);
  }
}
