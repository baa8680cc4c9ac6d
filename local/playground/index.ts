// The local playground: the whole user story in a browser, over the local backend, the Sheets stand-in and the compiled add-on.
export { PLAYGROUND_SPREADSHEET_ID, startPlayground, type Playground, type PlaygroundBackend, type PlaygroundOptions } from './playground.js';
export { sheetView, type SheetView } from './sheet-view.js';
