// Intake Widgets in a Vue 3 app (docs/frameworks.md), without single-file components: the
// template is compiled in the browser by Vue's full build (vite.config.mjs aliases `vue`). In an
// SFC project the same template works; set `isCustomElement` in @vitejs/plugin-vue's options.
import { createApp, ref } from 'vue';
import 'intake-widgets/define';

const params = new URLSearchParams(location.search);

const app = createApp({
  setup() {
    const widget = ref(null);
    const sent = ref([]);
    const reference = ref('');
    const locale = ref('en');
    const shown = ref(true);
    const renders = ref(0);
    return {
      widget,
      sent,
      reference,
      locale,
      shown,
      renders,
      switchLocale: () => (locale.value = locale.value === 'en' ? 'zh-CN' : 'en'),
      endpoint: params.get('endpoint') ?? 'http://127.0.0.1:8787/api/v1',
      site: params.get('site') ?? 'riverside/xinhua/garden',
      // The site's own wording: an object, so it is bound as a property (`.prop`).
      strings: { 'chat.greeting': 'Hello from the Vue example! Ask us anything.' },
      askAboutRubbish: () => void widget.value?.startChat({ topic: 'Rubbish collection' }),
      onSent: (event) => sent.value.push(event.detail.clientId),
      onSubmitted: (event) => (reference.value = event.detail.reference),
    };
  },
  template: `
    <main>
      <h1>Garden community (Vue)</h1>
      <p>
        <button type="button" @click="askAboutRubbish">Ask about rubbish collection</button>
        <button type="button" @click="renders++">Re-render</button>
        <button type="button" @click="switchLocale">Switch language</button>
        <button type="button" @click="shown = !shown">{{ shown ? 'Remove the widget' : 'Add the widget' }}</button>
      </p>
      <p role="status" data-testid="sent">{{ sent.length }} sent</p>
      <p data-testid="renders">{{ renders }} re-renders</p>
      <p v-if="reference" data-testid="reference">Your request: {{ reference }}</p>
      <intake-widget
        v-if="shown"
        ref="widget"
        :endpoint="endpoint"
        :site="site"
        :locale="locale"
        :strings.prop="strings"
        @intake-message-sent="onSent"
        @intake-request-submitted="onSubmitted"
      ></intake-widget>
    </main>`,
});
// Tags starting with intake- are custom elements, not Vue components.
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('intake-');
app.mount('#app');
