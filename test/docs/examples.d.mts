// Types of examples.mjs for the TypeScript tests (the module runs in Node; the tests' tsconfig has the
// Workers types only).
export interface Command {
  text: string;
  answer: { text: string; json: boolean } | null;
  incomplete?: boolean;
}
export interface Block {
  line: number;
  text: string;
  skip: string | null;
  answer: { text: string; json: boolean; line: number } | null;
}
export function extractBlocks(markdown: string): Block[];
export function splitCommands(text: string, finalAnswer?: { text: string; json: boolean } | null): Command[];
export function compareJson(shown: unknown, actual: unknown, path?: string, key?: string): string[];
export function compareText(shown: string, actual: string): string[];
export function checkAnswer(command: Command, stdout: string, statuses: number[]): string[];
export function docFiles(root?: string): string[];
export interface DocsGateway {
  port: number;
  state: string;
  smsc?: { smppPort: number; controlPort: number };
}
export function runFile(file: string, gateway: DocsGateway): Promise<string[]>;
export function runBanner(banner: string, gateway: DocsGateway): Promise<string[]>;
