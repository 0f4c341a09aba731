// Intake Widgets in a Svelte 5 app (docs/frameworks.md).
import { mount } from 'svelte';
import 'intake-widgets/define';
import App from './App.svelte';

// Mount once the tag is defined: Svelte then sees `strings` as a property of the element and
// sets it as one (before, it would write the attribute `strings="[object Object]"`).
await customElements.whenDefined('intake-widget');
mount(App, { target: document.getElementById('root') });
