// Ui and Menu: menus, alerts, sidebars, recorded by the host instead of drawn.
import { enumName, enumOf, type GasEnum } from './enums.js';
import type { AppsScriptHost } from './host.js';
import type { HtmlOutputFace } from './html-service.js';
import type { ButtonName, ButtonSetName, MenuEntry } from './ui-log.js';

const ButtonSet = enumOf('OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL');
const Button = enumOf('CLOSE', 'OK', 'CANCEL', 'YES', 'NO');

/** The caption Sheets gives an add-on's menu (Extensions → Rowfill). */
export const ADDON_MENU_CAPTION = 'Rowfill';

export class MenuFace {
  private readonly entries: MenuEntry[] = [];

  constructor(
    private readonly host: AppsScriptHost,
    private readonly caption: string,
    private readonly addon: boolean,
  ) {}

  addItem(caption: string, functionName: string): MenuFace {
    this.entries.push({ kind: 'item', caption: String(caption), functionName: String(functionName) });
    return this;
  }

  addSeparator(): MenuFace {
    this.entries.push({ kind: 'separator' });
    return this;
  }

  addSubMenu(menu: MenuFace): MenuFace {
    this.entries.push({ kind: 'submenu', caption: menu.caption, entries: [...menu.entries] });
    return this;
  }

  addToUi(): void {
    this.host.ui.menu({ caption: this.caption, addon: this.addon, entries: [...this.entries] });
  }
}

export class UiFace {
  readonly ButtonSet = ButtonSet;
  readonly Button = Button;

  constructor(private readonly host: AppsScriptHost) {}

  createAddonMenu(): MenuFace {
    return new MenuFace(this.host, ADDON_MENU_CAPTION, true);
  }

  createMenu(caption: string): MenuFace {
    return new MenuFace(this.host, String(caption), false);
  }

  /** alert(prompt) · alert(prompt, buttons) · alert(title, prompt, buttons). */
  alert(...args: unknown[]): GasEnum {
    const [title, prompt, buttons] =
      args.length >= 3 ? [String(args[0]), String(args[1]), args[2]] : args.length === 2 ? [null, String(args[0]), args[1]] : [null, String(args[0]), ButtonSet.OK];
    const set = enumName(buttons) as ButtonSetName;
    if (!(set in ButtonSet)) throw new Error('Invalid argument: buttons');
    const response: ButtonName = this.host.ui.alert({ title, prompt, buttons: set });
    return Button[response];
  }

  showSidebar(output: HtmlOutputFace): void {
    this.host.ui.sidebar({ title: output.getTitle(), html: output.getContent() });
  }
}
