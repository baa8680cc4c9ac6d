// HtmlService and HtmlOutput: pages read from the project's HTML files (dist/addon/*.html), titled and sized.
import { enumOf } from './enums.js';
import type { AppsScriptHost } from './host.js';

export class HtmlOutputFace {
  private title = '';
  private width: number | null = null;
  private height: number | null = null;

  constructor(private content: string) {}

  getContent(): string {
    return this.content;
  }

  setContent(content: string): HtmlOutputFace {
    this.content = String(content);
    return this;
  }

  append(html: string): HtmlOutputFace {
    this.content += String(html);
    return this;
  }

  getTitle(): string {
    return this.title;
  }

  setTitle(title: string): HtmlOutputFace {
    this.title = String(title);
    return this;
  }

  getWidth(): number | null {
    return this.width;
  }

  setWidth(width: number): HtmlOutputFace {
    this.width = width;
    return this;
  }

  getHeight(): number | null {
    return this.height;
  }

  setHeight(height: number): HtmlOutputFace {
    this.height = height;
    return this;
  }

  /** Sandbox and framing modes change nothing here; accepted so code written for Apps Script runs unchanged. */
  setSandboxMode(_mode: unknown): HtmlOutputFace {
    return this;
  }

  setXFrameOptionsMode(_mode: unknown): HtmlOutputFace {
    return this;
  }
}

export function htmlService(host: AppsScriptHost) {
  return {
    SandboxMode: enumOf('IFRAME', 'NATIVE', 'EMULATED'),
    XFrameOptionsMode: enumOf('ALLOWALL', 'DEFAULT'),
    createHtmlOutputFromFile: (name: string) => new HtmlOutputFace(host.htmlFile(String(name))),
    createHtmlOutput: (html = '') => new HtmlOutputFace(String(html)),
  };
}
