export declare function naturalCompare(a: string, b: string): number;
