/**
 * One chat in detail, live: the resident's and staff messages, typing both ways, canned replies
 * in the composer, claim and assign, route, close, and 转工单 (turn the chat into a work order).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Catalog, ConversationEvent, Message, Service, StreamEvent } from '../../src/client/protocol.js';
import type { StaffConversation, WorkOrder } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, fullDateTime, shortDateTime, t } from './i18n.js';
import { StaffApiError, type StaffClient, type StreamState } from './staff-client.js';
import type { Named } from './staff-queue.js';
import './staff-canned-replies.js';
import './staff-suggestion.js';
import type { CannedContext, CannedInsertDetail } from './staff-canned-replies.js';

/** How long after the last keystroke we tell the resident we stopped typing. */
const TYPING_IDLE_MS = 4000;
/** A resident "typing" with no update for this long is taken as stopped (their "stopped" may be lost). */
const RESIDENT_TYPING_MS = 10000;
/** The protocol's phone pattern (ContactSchema), for the work-order dialog. */
const PHONE_PATTERN = '\\+?[0-9 ()\\-]{5,20}';

type Person = { id: string; name: string };

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
      .msg.work-order { border-color: var(--c-ok); border-style: solid; }
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
      .composer .tools { display: flex; gap: 0.5em; align-items: center; flex-wrap: wrap; }
      ul.orders { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35em; }
      ul.orders li { display: grid; gap: 0.05em; }
      ul.orders a { font-weight: 700; font-variant-numeric: tabular-nums; }
      dialog {
        border: 1px solid var(--c-border);
        border-radius: 10px;
        padding: 0;
        width: min(40em, calc(100vw - 1.5em));
        max-height: calc(100dvh - 1.5em);
        color: var(--c-text);
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      dialog form { padding: 1em 1.1em; gap: 0.7em; }
      dialog .field { display: grid; gap: 0.25em; }
      dialog select, dialog input, dialog textarea { width: 100%; }
      dialog textarea { min-height: 8em; }
      dialog .two { display: grid; gap: 0.7em; }
      @media (min-width: 560px) { dialog .two { grid-template-columns: 1fr 1fr; } }
      fieldset { border: 1px solid var(--c-border); border-radius: 8px; display: grid; gap: 0.5em; padding: 0.5em 0.8em 0.8em; margin: 0; }
      legend { font-weight: 600; font-size: 0.9em; padding: 0 0.3em; }
      .check { display: flex; gap: 0.4em; align-items: center; font-weight: 400; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @property() conversationId = '';
  @property({ attribute: false }) departments: Named[] = [];
  /** The signed-in person, when the console knows it: claim and assign offer what their role may do. */
  @property({ attribute: false }) user?: { id: string; role: string; displayName?: string } | null;

  @state() private conversation?: StaffConversation;
  @state() private events: ConversationEvent[] = [];
  @state() private residentTyping = false;
  @state() private streamState: StreamState = 'connecting';
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @state() private assignee: Person | null = null;
  @state() private assignees: Person[] | null = null;
  @state() private catalog?: Catalog;
  @state() private orderService = '';
  @state() private orderError = '';
  @state() private orderBusy = false;
  @state() private orderExisting = '';
  @state() private orderDescription = '';
  @query('h2') private heading?: HTMLElement;
  @query('#message-text') private messageText?: HTMLTextAreaElement;
  @query('.log') private log?: HTMLElement;
  @query('dialog') private dialog?: HTMLDialogElement;

  /** Re-renders on a language change. */
  protected readonly l10n = new LocalizeController(this);
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
    this.assignees = null;
    this.catalog = undefined;
    try {
      const data = await client.conversation(id);
      if (id !== this.conversationId) return;
      this.setConversation(data.conversation);
      this.readSent = data.conversation.staffReadUpTo;
      this.merge(data.events);
      this.stop = client.watchConversation(id, data.conversation.lastSeq, (event) => this.onStream(event), (s) => (this.streamState = s));
      await this.updateComplete;
      this.heading?.focus();
    } catch (e) {
      this.error = this.problem(e);
    }
  }

  private setConversation(conversation: StaffConversation) {
    this.conversation = conversation;
    // The operator-requests helper's field (claim/assign); absent on servers without it.
    const assignee = (conversation as StaffConversation & { assignee?: Person | null }).assignee;
    if (assignee !== undefined) this.assignee = assignee;
  }

  private problem(e: unknown): string {
    if (e instanceof StaffApiError && e.status === 0) return t('conversation:error.network');
    if (e instanceof StaffApiError && e.status === 404) return t('conversation:error.notFound');
    return (e as Error).message;
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
        // A work order filed elsewhere (another operator): the linked list catches up.
        if (event.type === 'message' && event.message.request && !this.conversation.workOrders?.some((w) => w.reference === event.message.request!.reference)) {
          void this.refreshMeta();
        }
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

  /** Re-reads the conversation's status, department and work orders (they change with messages and routing). */
  async refreshMeta() {
    if (!this.client || !this.conversation) return;
    const id = this.conversationId;
    try {
      const data = await this.client.conversation(id);
      if (id !== this.conversationId) return;
      this.setConversation(data.conversation);
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

  /** A canned reply goes into the composer at the cursor, to be edited; nothing is sent. */
  private onCanned(event: CustomEvent<CannedInsertDetail>) {
    const box = this.messageText;
    if (!box) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    box.setRangeText(event.detail.text, start, end, 'end');
    box.focus();
    this.onInput();
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
      this.error = t('conversation:error.notSent', { message: this.problem(e) });
    } finally {
      this.busy = false;
      box?.focus();
    }
  }

  private async route(event: SubmitEvent) {
    event.preventDefault();
    const department = new FormData(event.target as HTMLFormElement).get('department') as string;
    const name = this.departments.find((d) => d.id === department)?.name ?? department;
    await this.act(() => this.client!.routeConversation(this.conversationId, department), t('conversation:routedNotice', { department: name }));
  }

  private async close() {
    await this.act(() => this.client!.closeConversation(this.conversationId), t('conversation:closedNotice'));
  }

  private async claim() {
    await this.act(async () => {
      const answer = await this.client!.claimConversation(this.conversationId);
      this.assignee = answer.assignee;
    }, t('conversation:assign.claimed'));
  }

  private async loadAssignees() {
    if (this.assignees || !this.client) return;
    try {
      this.assignees = await this.client.conversationAssignees(this.conversationId);
    } catch {
      this.assignees = [];
    }
  }

  private async assign(event: SubmitEvent) {
    event.preventDefault();
    const account = (new FormData(event.target as HTMLFormElement).get('account') as string) || null;
    const name = this.assignees?.find((p) => p.id === account)?.name ?? '';
    await this.act(async () => {
      const answer = await this.client!.assignConversation(this.conversationId, account);
      this.assignee = answer.assignee;
    }, account ? t('conversation:assign.assigned', { name }) : t('conversation:assign.unassigned'));
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
      this.error = this.problem(e);
    } finally {
      this.busy = false;
    }
  }

  /* ------------------------------------------------------------ 转工单 */

  /** The resident's messages, one a line: the work order's description unless the operator changes it. */
  private residentText(): string {
    return this.events
      .flatMap((e) => (e.type === 'message' && e.message.author === 'resident' ? [e.message.text.trim()] : []))
      .filter(Boolean)
      .join('\n');
  }

  private async openWorkOrder() {
    const c = this.conversation;
    if (!c || !this.client) return;
    this.orderError = '';
    this.orderExisting = '';
    this.orderDescription = this.residentText();
    this.dialog?.showModal();
    if (!this.catalog) {
      try {
        this.catalog = await this.client.siteCatalog(c.site.id);
        const topic = c.topic ? this.catalog.services.find((s) => s.id === c.topic) : undefined;
        this.orderService = topic?.id ?? '';
      } catch (e) {
        this.orderError = this.problem(e);
      }
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLSelectElement>('#wo-service')?.focus();
  }

  private closeWorkOrder() {
    this.dialog?.close();
    this.renderRoot.querySelector<HTMLButtonElement>('button.work-order')?.focus();
  }

  private get chosenService(): Service | undefined {
    return this.catalog?.services.find((s) => s.id === this.orderService);
  }

  private async fileWorkOrder(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const service = this.chosenService;
    if (!service || !this.client) return;
    const value = (name: string) => ((data.get(name) as string | null) ?? '').trim();
    const contact = { name: value('contact-name') || undefined, phone: value('contact-phone') || undefined };
    this.orderBusy = true;
    this.orderError = '';
    try {
      const created = await this.client.workOrder(this.conversationId, {
        service: service.id,
        kind: (value('kind') || service.kinds[0]) as NonNullable<Service['kinds']>[number],
        description: value('description') || undefined,
        contact: contact.name || contact.phone ? contact : null,
        force: data.get('force') === 'on',
      });
      this.dialog?.close();
      this.notice = t('conversation:workOrder.filed', { reference: created.reference, department: created.routedTo.name });
      await this.refreshMeta();
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLAnchorElement>(`ul.orders a[data-reference="${created.reference}"]`)?.focus();
    } catch (e) {
      if (e instanceof StaffApiError && e.status === 409) {
        // The 409 names the chat's work order (fields.workOrder): link to it; only an older server needs a reload.
        const named = e.fields['workOrder'];
        if (!named) await this.refreshMeta();
        this.orderExisting = named ?? this.conversation?.workOrders?.at(-1)?.reference ?? '';
        this.orderError = t('conversation:workOrder.exists', { reference: this.orderExisting });
      } else this.orderError = this.problem(e);
    } finally {
      this.orderBusy = false;
    }
  }

  /* ------------------------------------------------------------ rendering */

  private residentReadUpTo() {
    let upTo = this.conversation?.residentReadUpTo ?? 0;
    for (const e of this.events) if (e.type === 'read' && e.by === 'resident') upTo = Math.max(upTo, e.upTo);
    return upTo;
  }

  private time(iso: string) {
    return html`<time datetime=${iso} title=${fullDateTime(iso)}>${shortDateTime(iso)}</time>`;
  }

  private renderEvent(event: ConversationEvent, readUpTo: number) {
    switch (event.type) {
      case 'message': {
        const m = event.message;
        const who = m.author === 'resident' ? t('conversation:author.resident') : m.author === 'staff' ? m.authorName || t('conversation:author.staff') : t('conversation:author.system');
        return html`<div class="msg ${m.author} ${m.request ? 'work-order' : ''}" data-seq=${event.seq} data-author=${m.author}>
          <span class="who">${who}</span>
          <span class="text">${m.text}</span>
          ${m.request
            ? html`<a href=${`#/request/${encodeURIComponent(m.request.reference)}`}>${t('conversation:workOrder.open', { reference: m.request.reference })}</a>`
            : nothing}
          <span class="when">${this.time(m.at)}${m.author === 'staff' && event.seq <= readUpTo ? html` · ${t('conversation:read')}` : nothing}</span>
        </div>`;
      }
      case 'routed':
        return html`<p class="note">${t('conversation:event.routed', { department: event.department.name })} · ${this.time(event.at)}</p>`;
      case 'status':
        return html`<p class="note">${t('conversation:event.status', { status: t(`common:status.${event.status}`) })} · ${this.time(event.at)}</p>`;
      case 'closed':
        return html`<p class="note">${t('conversation:event.closed')} · ${this.time(event.at)}</p>`;
      default:
        return nothing;
    }
  }

  private renderWorkOrders(orders: WorkOrder[]) {
    return html`<section class="card panel" aria-labelledby="orders-h">
      <h3 id="orders-h">${t('conversation:workOrder.heading')}</h3>
      ${orders.length
        ? html`<ul class="orders">
            ${orders.map((w) => html`<li>
              <a href=${`#/request/${encodeURIComponent(w.reference)}`} data-reference=${w.reference}>${w.reference}</a>
              <span>${w.service.name} · ${t(`common:status.${w.status}`)}</span>
              <span class="muted">${t('conversation:workOrder.routedTo', { department: w.routedTo.name })} · ${dateTime(w.createdAt)}</span>
            </li>`)}
          </ul>`
        : html`<p class="muted">${t('conversation:workOrder.none')}</p>`}
      <div class="buttons">
        <button type="button" class="work-order" ?disabled=${this.busy} @click=${this.openWorkOrder}>${t('conversation:workOrder.action')}</button>
      </div>
    </section>`;
  }

  private renderAssign() {
    const role = this.user?.role;
    const mine = !!this.user && this.assignee?.id === this.user.id;
    const mayClaim = !role || role === 'dispatcher' || role === 'department' || role === 'site';
    const mayAssign = !role || role === 'dispatcher';
    return html`<section class="card panel" aria-labelledby="cassign-h">
      <h3 id="cassign-h">${t('conversation:assign.heading')}</h3>
      <p data-assignee>${this.assignee ? (mine ? t('conversation:assign.you', { name: this.assignee.name }) : this.assignee.name) : t('conversation:assign.nobody')}</p>
      ${mayClaim && !mine
        ? html`<div class="buttons"><button type="button" class="secondary claim" ?disabled=${this.busy} @click=${this.claim}>${t('conversation:assign.claim')}</button></div>`
        : nothing}
      ${mayAssign
        ? html`<form class="inline" @submit=${this.assign} @focusin=${this.loadAssignees}>
            <div class="grow">
              <label for="chat-assignee">${t('conversation:assign.person')}</label>
              <select id="chat-assignee" name="account">
                <option value="">${t('conversation:assign.none')}</option>
                ${(this.assignees ?? (this.assignee ? [this.assignee] : [])).map((p) => html`<option value=${p.id} ?selected=${p.id === this.assignee?.id}>${p.name}</option>`)}
              </select>
            </div>
            <button type="submit" class="secondary" ?disabled=${this.busy}>${t('conversation:assign.submit')}</button>
          </form>`
        : nothing}
    </section>`;
  }

  private renderDialog(c: StaffConversation) {
    const services = this.catalog?.services ?? [];
    const groups = [...new Set(services.map((s) => s.group || t('conversation:workOrder.otherGroup')))];
    const chosen = this.chosenService;
    const hasOrder = !!c.workOrders?.length || !!this.orderExisting;
    return html`<dialog aria-labelledby="wo-h" @close=${() => (this.orderError = '')} @cancel=${(e: Event) => { e.preventDefault(); this.closeWorkOrder(); }}>
      <form @submit=${this.fileWorkOrder}>
        <h2 id="wo-h">${t('conversation:workOrder.title')}</h2>
        <p class="hint">${t('conversation:workOrder.intro', { site: c.site.name })}</p>
        ${this.orderError ? html`<p class="error" role="alert">${this.orderError}${this.orderExisting
            ? html` <a href=${`#/request/${encodeURIComponent(this.orderExisting)}`} @click=${() => this.dialog?.close()}>${t('conversation:workOrder.openExisting')}</a>` : nothing}</p>` : nothing}
        <div class="two">
          <div class="field">
            <label for="wo-service">${t('conversation:workOrder.service')}</label>
            <select id="wo-service" name="service" required @change=${(e: Event) => (this.orderService = (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!this.orderService}>${this.catalog ? t('conversation:workOrder.choose') : t('conversation:workOrder.loading')}</option>
              ${groups.map((g) => html`<optgroup label=${g}>
                ${services.filter((s) => (s.group || t('conversation:workOrder.otherGroup')) === g).map((s) => html`<option value=${s.id} ?selected=${s.id === this.orderService}>${s.name}</option>`)}
              </optgroup>`)}
            </select>
          </div>
          <div class="field">
            <label for="wo-kind">${t('conversation:workOrder.kind')}</label>
            <select id="wo-kind" name="kind" ?disabled=${!chosen}>
              ${(chosen?.kinds ?? []).map((k) => html`<option value=${k}>${t(`common:kind.${k}`)}</option>`)}
            </select>
          </div>
        </div>
        ${chosen?.department ? html`<p class="hint" role="status">${t('conversation:workOrder.willRoute', { department: chosen.department.name })}</p>` : nothing}
        <div class="field">
          <label for="wo-description">${t('conversation:workOrder.description')}</label>
          <textarea id="wo-description" name="description" rows="6" maxlength="4000" required aria-describedby="wo-description-hint" .value=${this.orderDescription}></textarea>
          <span id="wo-description-hint" class="hint">${t('conversation:workOrder.descriptionHint')}</span>
        </div>
        <fieldset>
          <legend>${t('conversation:workOrder.contact')}</legend>
          <span class="hint" id="wo-contact-hint">${t('conversation:workOrder.contactHint')}</span>
          <div class="two">
            <div class="field">
              <label for="wo-contact-name">${t('conversation:workOrder.contactName')}</label>
              <input id="wo-contact-name" name="contact-name" maxlength="100" autocomplete="off" aria-describedby="wo-contact-hint" />
            </div>
            <div class="field">
              <label for="wo-contact-phone">${t('conversation:workOrder.contactPhone')}</label>
              <input id="wo-contact-phone" name="contact-phone" type="tel" inputmode="tel" pattern=${PHONE_PATTERN} maxlength="20" autocomplete="off" aria-describedby="wo-contact-hint" />
            </div>
          </div>
        </fieldset>
        ${hasOrder
          ? html`<label class="check"><input type="checkbox" name="force" /> ${t('conversation:workOrder.force', { reference: this.orderExisting || c.workOrders?.at(-1)?.reference })}</label>`
          : nothing}
        <div class="buttons">
          <button type="button" class="secondary" @click=${this.closeWorkOrder}>${t('conversation:workOrder.cancel')}</button>
          <button type="submit" ?disabled=${this.orderBusy || !chosen}>${this.orderBusy ? t('conversation:workOrder.filing') : t('conversation:workOrder.submit')}</button>
        </div>
      </form>
    </dialog>`;
  }

  override render() {
    const c = this.conversation;
    if (!c) {
      return html`<article>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">${t('conversation:loading')}</p>`}</article>`;
    }
    const readUpTo = this.residentReadUpTo();
    const closed = c.status === 'closed';
    const live = this.streamState === 'live' ? t('conversation:live.on') : this.streamState === 'stopped' ? t('conversation:live.off') : t('conversation:live.connecting');
    const canned: CannedContext = {
      reference: c.workOrders?.at(-1)?.reference ?? null,
      department: c.routedTo.name,
      agent: this.user?.displayName ?? null,
    };
    return html`<article aria-labelledby="chat-heading">
      <div class="head">
        <h2 id="chat-heading" tabindex="-1">${c.topic ? t('conversation:heading.topic', { topic: c.topic }) : t('conversation:heading.site', { site: c.site.name })}</h2>
        <div class="badges">
          <span class="badge status-${c.status}" data-status=${c.status}>${t(`common:status.${c.status}`)}</span>
          <span>${t('conversation:routedTo')} <strong data-routed>${c.routedTo.name}</strong></span>
          ${c.workOrders?.length
            ? html`<span>${t('conversation:workOrder.badge')} <a href=${`#/request/${encodeURIComponent(c.workOrders.at(-1)!.reference)}`} data-work-order>${c.workOrders.at(-1)!.reference}</a></span>`
            : nothing}
          <span class="muted live ${this.streamState === 'live' ? 'on' : ''}">${live}</span>
        </div>
        <p class="meta">${t('conversation:meta', { site: c.site.name, started: dateTime(c.createdAt), locale: c.locale })}</p>
      </div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <div class="main">
          <section aria-labelledby="log-h">
            <h3 id="log-h">${t('conversation:messages')}</h3>
            <div class="log" role="log" aria-labelledby="log-h" tabindex="0">
              ${this.events.length ? this.events.map((e) => this.renderEvent(e, readUpTo)) : html`<p class="note">${t('conversation:noMessages')}</p>`}
            </div>
            <p class="typing" aria-live="polite">${this.residentTyping ? t('conversation:typing') : ''}</p>
          </section>
          <form class="composer card panel" @submit=${this.send} @canned-insert=${this.onCanned}>
            <label for="message-text">${t('conversation:composer.label')}</label>
            <textarea id="message-text" rows="3" maxlength="2000" ?disabled=${closed}
              aria-describedby="composer-hint" @input=${this.onInput} @keydown=${this.onKeydown} @blur=${this.stopTyping}></textarea>
            <div class="buttons">
              <div class="tools">
                <staff-canned-replies .client=${this.client} .context=${canned} ?disabled=${closed}></staff-canned-replies>
                <span id="composer-hint" class="hint">${closed ? t('conversation:composer.closed') : t('conversation:composer.hint')}</span>
              </div>
              <button type="submit" ?disabled=${this.busy || closed}>${t('conversation:composer.send')}</button>
            </div>
          </form>
        </div>
        <div class="side">
          <staff-suggestion .client=${this.client} item="conversation" .target=${c.id} .suggestion=${c.suggestion ?? null} .current=${c.routedTo.id} ?canRoute=${!this.user?.role || this.user.role === 'dispatcher'} .seq=${this.events.reduce((n, e) => (e.type === 'message' && e.message.author === 'resident' ? Math.max(n, e.seq) : n), 0)} @dispatch-changed=${() => this.refreshMeta()}></staff-suggestion>
          ${this.renderWorkOrders(c.workOrders ?? [])}
          ${this.renderAssign()}
          <form class="card panel" @submit=${this.route} aria-labelledby="croute-h">
            <h3 id="croute-h">${t('conversation:route.heading')}</h3>
            <div class="inline">
              <div class="grow">
                <label for="chat-department">${t('conversation:route.department')}</label>
                <select id="chat-department" name="department">
                  ${this.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === c.routedTo.id}>${d.name}</option>`)}
                </select>
              </div>
              <button type="submit" ?disabled=${this.busy}>${t('conversation:route.submit')}</button>
            </div>
          </form>
          <section class="card panel" aria-labelledby="cinfo-h">
            <h3 id="cinfo-h">${t('conversation:info.heading')}</h3>
            <dl>
              <dt>${t('conversation:info.site')}</dt><dd>${c.site.name}</dd>
              ${c.page ? html`<dt>${t('conversation:info.page')}</dt><dd>${c.page.title || c.page.url}<br /><span class="muted">${c.page.url}</span></dd>` : nothing}
              <dt>${t('conversation:info.updated')}</dt><dd>${fullDateTime(c.updatedAt)}</dd>
            </dl>
            <div class="buttons">
              <button type="button" class="danger" ?disabled=${this.busy || closed} @click=${this.close}>${t('conversation:info.close')}</button>
            </div>
          </section>
        </div>
      </div>
      ${this.renderDialog(c)}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-conversation': StaffConversationView;
  }
}
