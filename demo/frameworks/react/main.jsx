// Intake Widgets in a React 19 app (docs/frameworks.md). React 19 passes a prop to a custom
// element as a property when the element has one (objects, functions), else as an attribute,
// and `on<event-name>` props become event listeners: `onintake-message-sent`.
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'intake-widgets/define';

const params = new URLSearchParams(location.search);
const endpoint = params.get('endpoint') ?? 'http://127.0.0.1:8787/api/v1';
const site = params.get('site') ?? 'riverside/xinhua/garden';

/** The site's own wording, laid over the catalogue: an object, so it must be a property. */
const strings = { 'chat.greeting': 'Hello from the React example! Ask us anything.' };

function App() {
  const widget = useRef(null);
  const [sent, setSent] = useState([]);
  const [reference, setReference] = useState('');
  const [locale, setLocale] = useState('en');
  const [shown, setShown] = useState(true);
  const [renders, setRenders] = useState(0);

  return (
    <main>
      <h1>Garden community (React)</h1>
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

// The tags register once the page has loaded; render after that, so React sees the elements'
// properties (`strings`) and sets them as properties rather than as attributes.
await customElements.whenDefined('intake-widget');
createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
