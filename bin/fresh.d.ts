// Types of bin/fresh.js (plain JavaScript: bin/ runs before anything is compiled).
export declare const SOURCE_DIRS: readonly string[];
export declare const STAMP: string;
export declare const ROOT_FILES: readonly string[];
export declare function newestSource(root: string): number;
export declare function compiledIsFresh(root: string): boolean;
