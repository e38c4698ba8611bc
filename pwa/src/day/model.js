// One cash day being typed: the rebased view, the edits not yet written (draft), and the
// writes to the outbox — field edits debounced ~400 ms into ONE `day.put`, flows as
// `flow.add` with a fresh UUID, closing as `day.close`.
import { loadView } from '../store.js';
import { enqueue } from '../sync/outbox.js';
import { dayPut, flowAdd, dayClose } from '../sync/mutations.js';
import { dayKey, flowsOfDay } from '../sync/rebase.js';
import { StorageFullError } from '../db.js';
import { ValidationError } from '../domain/validation.js';
import { debounce } from '../lib/dom.js';
import { todayIso } from '../lib/dates.js';

export const SAVE_DELAY_MS = 400;

/** A refusal carrying `{field: [message_fr]}` (duck-typed: the JS twin's ValidationError). */
export function hasFieldErrors(error) {
  const errors = error?.errors;
  return Boolean(errors && typeof errors === 'object' && !Array.isArray(errors) && Object.keys(errors).length);
}
const RETRY_FULL_MS = 15000;
export const INVALID_MESSAGE = 'Un montant saisi n’est pas valide : corrigez le champ signalé en rouge avant de clôturer.';

export class DayModel {
  constructor(companyId, registerId, date) {
    Object.assign(this, { companyId, registerId, date });
    this.view = null;
    this.draft = {}; // header fields typed and not yet in the outbox
    this.listeners = new Set();
    this.saving = null;
    this.errors = {}; // {field: [message_fr]} of the last refused write: nothing was queued
    this.refused = null; // the same, for the screen (null when the last write went through)
    this.invalid = {}; // {field testid: message_fr} of the fields showing an error: not fed to the day, no closing
    this.scheduleSave = debounce(() => this.save(), SAVE_DELAY_MS);
  }

  async load() {
    this.view = await loadView(this.companyId);
    this.emit('load');
    return this;
  }

  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(reason) {
    for (const listener of this.listeners) listener(reason);
  }

  /** The day as the server knows it plus pending mutations (rebase), without the draft. */
  get stored() {
    return this.view?.days.get(dayKey(this.registerId, this.date)) ?? null;
  }

  /** What the screen shows: stored day + draft. */
  get header() {
    return { date: this.date, register_id: this.registerId, ...(this.stored ?? {}), ...this.draft };
  }

  get flows() {
    return this.view ? flowsOfDay(this.view, this.registerId, this.date) : [];
  }

  get closed() {
    return this.stored?.status === 'closed';
  }

  /** Revision last seen from the server (0 for a day it does not know yet). */
  get baseRevision() {
    return this.stored?.local ? 0 : this.stored?.revision ?? 0;
  }

  set(field, value) {
    if (this.closed) return;
    this.draft = { ...this.draft, [field]: value };
    this.emit('edit');
    this.scheduleSave();
  }

  /**
   * A field shows an error (`message`) or is valid again (null). Call it BEFORE `set`: the line of a
   * field in error is set to null (not kept as the last valid keystroke), and the day cannot be closed.
   */
  flag(testid, message) {
    if (message) this.invalid = { ...this.invalid, [testid]: message };
    else if (testid in this.invalid) {
      const { [testid]: _gone, ...rest } = this.invalid;
      this.invalid = rest;
    }
  }

  /** `set` from the field `testid`: `error` null when its text is valid (then `value` is what it holds). */
  setFrom(testid, error, field, value) {
    this.flag(testid, error);
    this.set(field, value);
  }

  get hasInvalid() {
    return Object.keys(this.invalid).length > 0;
  }

  /** Write the draft as one `day.put`. Fields typed meanwhile stay in the draft. */
  async save() {
    this.scheduleSave.cancel();
    while (this.saving) await this.saving;
    const fields = this.draft;
    if (Object.keys(fields).length === 0 || this.closed) return;
    let mutation;
    try {
      mutation = dayPut(this.registerId, this.date, this.baseRevision, fields, { today: todayIso() });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.refuse(error); // nothing queued: the draft stays, with its errors
      return;
    }
    this.saving = (async () => {
      try {
        await enqueue(this.companyId, mutation);
        this.errors = {};
        const rest = {};
        for (const [key, value] of Object.entries(this.draft)) if (fields[key] !== value) rest[key] = value;
        this.draft = rest;
        await this.reload();
        if (this.refused) {
          this.refused = null;
          this.emit('valid');
        }
      } catch (error) {
        // Storage full: the draft stays in memory and on screen; try again later.
        if (error instanceof StorageFullError) setTimeout(() => this.scheduleSave(), RETRY_FULL_MS);
        else if (hasFieldErrors(error)) {
          // The rules refused the figures (ValidationError of the JS twin): they stay typed, with the reasons.
          this.refuse(error);
        } else throw error;
      } finally {
        this.saving = null;
      }
    })();
    return this.saving;
  }

  /** Reload the view (after a pull or a write); the draft stays on top. */
  async reload() {
    this.view = await loadView(this.companyId);
    this.emit('reload');
  }

  /** A write the domain refused: keep its messages for the fields, and tell the screen. */
  refuse(error) {
    this.errors = error.errors;
    this.refused = error.errors;
    this.emit('invalid');
  }

  /** Append a flow (the draft is written first, so the outbox keeps the typing order).
   * Throws a ValidationError (nothing queued) when the domain refuses it: `err.errors` names the fields. */
  async addFlow(flow) {
    await this.save();
    await enqueue(this.companyId, flowAdd(this.registerId, this.date, flow, undefined, { today: todayIso() }));
    await this.reload();
  }

  async close() {
    if (this.hasInvalid) throw Object.assign(new Error('a field is in error'), { messageFr: INVALID_MESSAGE });
    await this.save();
    await enqueue(this.companyId, dayClose(this.registerId, this.date, this.baseRevision));
    await this.reload();
  }

  dispose() {
    this.listeners.clear();
    return this.save();
  }
}
