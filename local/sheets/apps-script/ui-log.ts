// What the add-on showed the user — menus, alerts, sidebars, toasts — recorded in order for tests and the playground.

export type ButtonSetName = 'OK' | 'OK_CANCEL' | 'YES_NO' | 'YES_NO_CANCEL';
export type ButtonName = 'OK' | 'CANCEL' | 'YES' | 'NO' | 'CLOSE';

export type MenuEntry =
  | { readonly kind: 'item'; readonly caption: string; readonly functionName: string }
  | { readonly kind: 'separator' }
  | { readonly kind: 'submenu'; readonly caption: string; readonly entries: readonly MenuEntry[] };

export interface MenuRecord {
  /** The add-on menu's caption; Sheets shows add-on menus under Extensions → <add-on name>. */
  readonly caption: string;
  readonly addon: boolean;
  readonly entries: readonly MenuEntry[];
}

export interface AlertRequest {
  readonly title: string | null;
  readonly prompt: string;
  readonly buttons: ButtonSetName;
}

export interface SidebarRecord {
  readonly title: string;
  readonly html: string;
}

export interface ToastRecord {
  readonly message: string;
  readonly title: string;
  readonly timeoutSeconds: number | null;
}

export type UiEvent =
  | ({ readonly kind: 'menu' } & MenuRecord)
  | ({ readonly kind: 'alert'; readonly response: ButtonName } & AlertRequest)
  | ({ readonly kind: 'sidebar' } & SidebarRecord)
  | ({ readonly kind: 'toast' } & ToastRecord);

/** Answers an alert as a user would; undefined takes the default (OK, or YES for yes/no questions). */
export type AlertAnswer = (alert: AlertRequest) => ButtonName | undefined;

export function defaultAnswer(buttons: ButtonSetName): ButtonName {
  return buttons.startsWith('YES') ? 'YES' : 'OK';
}

export type AlertRecord = AlertRequest & { readonly response: ButtonName };

function without<K extends UiEvent['kind']>(events: readonly UiEvent[], kind: K): Omit<Extract<UiEvent, { kind: K }>, 'kind'>[] {
  return events.filter((e): e is Extract<UiEvent, { kind: K }> => e.kind === kind).map(({ kind: _kind, ...rest }) => rest);
}

export class UiLog {
  readonly events: UiEvent[] = [];

  get menus(): MenuRecord[] {
    return without(this.events, 'menu');
  }

  get alerts(): AlertRecord[] {
    return without(this.events, 'alert');
  }

  get sidebars(): SidebarRecord[] {
    return without(this.events, 'sidebar');
  }

  get toasts(): ToastRecord[] {
    return without(this.events, 'toast');
  }

  get lastAlert(): AlertRecord | undefined {
    return this.alerts.at(-1);
  }

  clear(): void {
    this.events.length = 0;
  }
}
