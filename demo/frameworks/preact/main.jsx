// Intake Widgets in a Preact 11 app (docs/frameworks.md). Preact sets a prop as a property when
// the element has it (`strings`, an object), else as an attribute; `on` + the exact event name
// adds a listener: `onintake-message-sent`.
import { render } from 'preact';
import { useRef, useState } from 'preact/hooks';
import 'intake-widgets/define';

const params = new URLSearchParams(location.search);
const endpoint = params.get('endpoint') ?? 'http://127.0.0.1:8787/api/v1';
const site = params.get('site') ?? 'riverside/xinhua/garden';

/** The site's own wording: an object, so it must be a property (kept stable across renders). */
const strings = { 'chat.greeting': 'Hello from the Preact example! Ask us anything.' };

function App() {
  const widget = useRef(null);
  const [sent, setSent] = useState([]);
  const [reference, setReference] = useState('');
  const [locale, setLocale] = useState('en');
  const [shown, setShown] = useState(true);
  const [renders, setRenders] = useState(0);

  return (
    <main>
      <h1>Garden community (Preact)</h1>
      <p>
        <button type="button" onClick={() => widget.current?.startChat({ topic: 'Rubbish collection' })}>
          Ask about rubbish collection
        </button>
        <button type="button" onClick={() => setRenders((n) => n + 1)}>Re-render</button>
        <button type="button" onClick={() => setLocale((l) => (l === 'en' ? 'zh-CN' : 'en'))}>Switch language</button>
        <button type="button" onClick={() => setShown((s) => !s)}>{shown ? 'Remove the widget' : 'Add the widget'}</button>
      </p>
      <p role="status" data-testid="sent">{sent.length} sent</p>
      <p data-testid="renders">{renders} re-renders</p>
      {reference && <p data-testid="reference">Your request: {reference}</p>}
      {shown && (
        <intake-widget
          ref={widget}
          endpoint={endpoint}
          site={site}
          locale={locale}
          strings={strings}
          onintake-message-sent={(event) => setSent((ids) => [...ids, event.detail.clientId])}
          onintake-request-submitted={(event) => setReference(event.detail.reference)}
        ></intake-widget>
      )}
    </main>
  );
}

// Render once the tag is defined, so Preact sees `strings` as a property of the element.
await customElements.whenDefined('intake-widget');
render(<App />, document.getElementById('root'));
