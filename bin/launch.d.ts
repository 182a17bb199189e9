// Types of bin/launch.js (plain JavaScript: bin/ runs before anything is compiled).
export declare const STARTUP_FLAGS: Readonly<Record<'simulate' | 'check', readonly string[]>>;
export declare const CHECK_RELAUNCH_BYTES: number;
export declare function missingFlags(command: string, execArgv?: readonly string[], nodeOptions?: string, args?: readonly string[]): string[];
export declare function relaunch(script: string, flags: readonly string[], args: readonly string[]): Promise<number>;
