/** One chat in detail, live: the resident's and staff messages, typing both ways, route, close. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ConversationEvent, Message, StreamEvent } from '../../src/client/protocol.js';
import type { StaffConversation } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { fullTime, shortTime, statusLabel } from './format.js';
import type { StaffClient, StreamState } from './staff-client.js';
import type { Named } from './staff-queue.js';

/** How long after the last keystroke we tell the resident we stopped typing. */
const TYPING_IDLE_MS = 4000;
/** A resident "typing" with no update for this long is taken as stopped (their "stopped" may be lost). */
const RESIDENT_TYPING_MS = 10000;

@customElement('staff-conversation')
export class StaffConversationView extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      .log {
        display: flex;
        flex-direction: column;
        gap: 0.5em;
        max-height: min(60vh, 36em);
        min-height: 10em;
        overflow-y: auto;
        padding: 0.75em;
        background: var(--c-bg);
        border: 1px solid var(--c-border);
        border-radius: 8px;
      }
      .msg {
        max-width: 80%;
        padding: 0.45em 0.7em;
        border-radius: 10px;
        background: var(--c-surface);
        border: 1px solid var(--c-border);
        align-self: flex-start;
        display: grid;
        gap: 0.1em;
      }
      .msg.staff { align-self: flex-end; background: var(--c-selected); border-color: #b8d2ee; }
      .msg.system { align-self: center; background: transparent; border-style: dashed; }
      .who { font-size: 0.8em; font-weight: 700; color: var(--c-muted); }
      .note { align-self: center; font-size: 0.85em; color: var(--c-muted); }
      .live { font-size: 0.85em; }
      .live::before {
        content: '';
        display: inline-block;
        width: 0.55em;
        height: 0.55em;
        border-radius: 50%;
        margin-inline-end: 0.3em;
        background: #8a929e;
      }
      .live.on::before { background: var(--c-ok); }
      .typing { min-height: 1.4em; font-size: 0.9em; color: var(--c-muted); font-style: italic; }
      .composer { display: grid; gap: 0.4em; }
      .composer .buttons { justify-content: space-between; align-items: center; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @property() conversationId = '';
  @property({ attribute: false }) departments: Named[] = [];

  @state() private conversation?: StaffConversation;
  @state() private events: ConversationEvent[] = [];
  @state() private residentTyping = false;
  @state() private streamState: StreamState = 'connecting';
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @query('h2') private heading?: HTMLElement;
  @query('#message-text') private messageText?: HTMLTextAreaElement;
  @query('.log') private log?: HTMLElement;

  private stop?: () => void;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private typingSent = false;
  private residentTypingTimer?: ReturnType<typeof setTimeout>;
  private readSent = 0;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.detach();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated && this.conversationId && this.client) void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('conversationId') || changed.has('client')) && this.conversationId && this.client) void this.load();
  }

  protected override updated(changed: PropertyValues) {
    if (changed.has('events') || changed.has('residentTyping')) {
      if (this.log) this.log.scrollTop = this.log.scrollHeight;
      this.markRead();
    }
  }

  private detach() {
    this.stop?.();
    this.stop = undefined;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    clearTimeout(this.residentTypingTimer);
    if (this.typingSent && this.client && this.conversationId) void this.client.typing(this.conversationId, false).catch(() => {});
    this.typingSent = false;
  }

  private async load() {
    this.detach();
    const id = this.conversationId;
    const client = this.client!;
    this.conversation = undefined;
    this.events = [];
    this.error = '';
    this.notice = '';
    this.residentTyping = false;
    this.readSent = 0;
    try {
      const data = await client.conversation(id);
      if (id !== this.conversationId) return;
      this.conversation = data.conversation;
      this.readSent = data.conversation.staffReadUpTo;
      this.merge(data.events);
      this.stop = client.watchConversation(id, data.conversation.lastSeq, (event) => this.onStream(event), (s) => (this.streamState = s));
      await this.updateComplete;
      this.heading?.focus();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private merge(incoming: ConversationEvent[]) {
    const bySeq = new Map(this.events.map((e) => [e.seq, e]));
    let changed = false;
    for (const event of incoming) {
      if (!bySeq.has(event.seq)) {
        bySeq.set(event.seq, event);
        changed = true;
      }
    }
    if (!changed) return;
    this.events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    if (this.conversation) {
      for (const event of incoming) {
        if (event.type === 'routed') this.conversation = { ...this.conversation, routedTo: event.department };
        if (event.type === 'status') this.conversation = { ...this.conversation, status: event.status };
        if (event.type === 'closed') this.conversation = { ...this.conversation, status: 'closed' };
      }
    }
  }

  private onStream(event: StreamEvent) {
    if (event.type === 'typing') {
      if (event.author === 'resident') this.setResidentTyping(event.typing);
      return;
    }
    if (event.type === 'message' && event.message.author === 'resident') this.setResidentTyping(false);
    this.merge([event]);
  }

  private setResidentTyping(typing: boolean) {
    clearTimeout(this.residentTypingTimer);
    this.residentTyping = typing;
    if (typing) this.residentTypingTimer = setTimeout(() => (this.residentTyping = false), RESIDENT_TYPING_MS);
  }

  /** Re-reads the conversation's status and department (they change with messages and routing). */
  async refreshMeta() {
    if (!this.client || !this.conversation) return;
    const id = this.conversationId;
    try {
      const data = await this.client.conversation(id);
      if (id !== this.conversationId) return;
      this.conversation = data.conversation;
      this.merge(data.events);
    } catch {
      /* the stream keeps the messages current; the header catches up next time */
    }
  }

  private markRead() {
    if (!this.client || document.visibilityState === 'hidden') return;
    const last = this.events.reduce((max, e) => (e.type === 'message' && e.message.author === 'resident' ? Math.max(max, e.seq) : max), 0);
    if (last > this.readSent) {
      this.readSent = last;
      this.client.markRead(this.conversationId, last).then(
        () => this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true })),
        () => {},
      );
    }
  }

  private onInput() {
    if (!this.client) return;
    if (!this.typingSent) {
      this.typingSent = true;
      void this.client.typing(this.conversationId, true).catch(() => {});
    }
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping() {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    if (!this.typingSent || !this.client) return;
    this.typingSent = false;
    void this.client.typing(this.conversationId, false).catch(() => {});
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    const box = this.messageText;
    const text = box?.value.trim() ?? '';
    if (!text || !this.client) return;
    this.busy = true;
    this.error = '';
    this.stopTyping();
    try {
      const message = (await this.client.sendMessage(this.conversationId, text, `staff-${crypto.randomUUID()}`)) as Message;
      if (box) box.value = '';
      if (message && typeof message.seq === 'number') this.merge([{ type: 'message', seq: message.seq, at: message.at, message }]);
      void this.refreshMeta();
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = `Not sent: ${(e as Error).message}`;
    } finally {
      this.busy = false;
      box?.focus();
    }
  }

  private async route(event: SubmitEvent) {
    event.preventDefault();
    const department = new FormData(event.target as HTMLFormElement).get('department') as string;
    const name = this.departments.find((d) => d.id === department)?.name ?? department;
    await this.act(() => this.client!.routeConversation(this.conversationId, department), `Routed to ${name}.`);
  }

  private async close() {
    await this.act(() => this.client!.closeConversation(this.conversationId), 'Conversation closed.');
  }

  private async act(run: () => Promise<unknown>, notice: string) {
    this.busy = true;
    this.error = '';
    this.notice = '';
    try {
      await run();
      this.notice = notice;
      await this.refreshMeta();
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private residentReadUpTo() {
    let upTo = this.conversation?.residentReadUpTo ?? 0;
    for (const e of this.events) if (e.type === 'read' && e.by === 'resident') upTo = Math.max(upTo, e.upTo);
    return upTo;
  }

  private renderEvent(event: ConversationEvent, readUpTo: number) {
    switch (event.type) {
      case 'message': {
        const m = event.message;
        const who = m.author === 'resident' ? 'Resident' : m.author === 'staff' ? m.authorName || 'Staff' : 'System';
        return html`<div class="msg ${m.author}" data-seq=${event.seq} data-author=${m.author}>
          <span class="who">${who}</span>
          <span class="text">${m.text}</span>
          <span class="when"><time datetime=${m.at} title=${fullTime(m.at)}>${shortTime(m.at)}</time>${m.author === 'staff' && event.seq <= readUpTo ? ' · Read' : ''}</span>
        </div>`;
      }
      case 'routed':
        return html`<p class="note">Routed to ${event.department.name} · ${shortTime(event.at)}</p>`;
      case 'status':
        return html`<p class="note">Status: ${statusLabel(event.status)} · ${shortTime(event.at)}</p>`;
      case 'closed':
        return html`<p class="note">Conversation closed · ${shortTime(event.at)}</p>`;
      default:
        return nothing;
    }
  }

  override render() {
    const c = this.conversation;
    if (!c) {
      return html`<article>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">Loading the chat…</p>`}</article>`;
    }
    const readUpTo = this.residentReadUpTo();
    const closed = c.status === 'closed';
    return html`<article aria-labelledby="chat-heading">
      <div class="head">
        <h2 id="chat-heading" tabindex="-1">${c.topic ? html`Chat: ${c.topic}` : `Chat from ${c.site.name}`}</h2>
        <div class="badges">
          <span class="badge status-${c.status}" data-status=${c.status}>${statusLabel(c.status)}</span>
          <span>to <strong data-routed>${c.routedTo.name}</strong></span>
          <span class="muted live ${this.streamState === 'live' ? 'on' : ''}">${this.streamState === 'live' ? 'Live' : this.streamState === 'stopped' ? 'Not live' : 'Connecting…'}</span>
        </div>
        <p class="meta">${c.site.name} · started ${shortTime(c.createdAt)} · ${c.locale}</p>
      </div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <div class="main">
          <section aria-labelledby="log-h">
            <h3 id="log-h">Messages</h3>
            <div class="log" role="log" aria-labelledby="log-h" tabindex="0">
              ${this.events.length ? this.events.map((e) => this.renderEvent(e, readUpTo)) : html`<p class="note">No messages yet.</p>`}
            </div>
            <p class="typing" aria-live="polite">${this.residentTyping ? 'The resident is typing…' : ''}</p>
          </section>
          <form class="composer card panel" @submit=${this.send}>
            <label for="message-text">Message to the resident</label>
            <textarea id="message-text" rows="3" maxlength="2000" ?disabled=${closed}
              aria-describedby="composer-hint" @input=${this.onInput} @keydown=${this.onKeydown} @blur=${this.stopTyping}></textarea>
            <div class="buttons">
              <span id="composer-hint" class="hint">${closed ? 'This chat is closed.' : 'Enter sends, Shift+Enter adds a line.'}</span>
              <button type="submit" ?disabled=${this.busy || closed}>Send</button>
            </div>
          </form>
        </div>
        <div class="side">
          <form class="card panel" @submit=${this.route} aria-labelledby="croute-h">
            <h3 id="croute-h">Route</h3>
            <div class="inline">
              <div class="grow">
                <label for="chat-department">Department</label>
                <select id="chat-department" name="department">
                  ${this.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === c.routedTo.id}>${d.name}</option>`)}
                </select>
              </div>
              <button type="submit" ?disabled=${this.busy}>Route</button>
            </div>
          </form>
          <section class="card panel" aria-labelledby="cinfo-h">
            <h3 id="cinfo-h">Chat</h3>
            <dl>
              <dt>Site</dt><dd>${c.site.name}</dd>
              ${c.page ? html`<dt>From page</dt><dd>${c.page.title || c.page.url}<br /><span class="muted">${c.page.url}</span></dd>` : nothing}
              <dt>Updated</dt><dd>${fullTime(c.updatedAt)}</dd>
            </dl>
            <div class="buttons">
              <button type="button" class="danger" ?disabled=${this.busy || closed} @click=${this.close}>Close chat</button>
            </div>
          </section>
        </div>
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-conversation': StaffConversationView;
  }
}
