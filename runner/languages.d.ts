import { z } from 'zod';
export declare const LanguageDefinition: z.ZodObject<
  {
    id: z.ZodString;
    name: z.ZodString;
    extensions: z.ZodArray<z.ZodString>;
    editor: z.ZodOptional<
      z.ZodObject<
        {
          vscodeLanguage: z.ZodString;
        },
        z.core.$strict
      >
    >;
    image: z.ZodString;
    sourceFile: z.ZodString;
    variables: z.ZodDefault<
      z.ZodRecord<
        z.ZodString,
        z.ZodObject<
          {
            pattern: z.ZodString;
            before: z.ZodOptional<z.ZodString>;
            default: z.ZodString;
          },
          z.core.$strict
        >
      >
    >;
    env: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodString>>;
    compile: z.ZodOptional<
      z.ZodObject<
        {
          command: z.ZodArray<z.ZodString>;
          limits: z.ZodDefault<
            z.ZodObject<
              {
                timeMs: z.ZodOptional<z.ZodNumber>;
                memoryMb: z.ZodOptional<z.ZodNumber>;
                processes: z.ZodOptional<z.ZodNumber>;
              },
              z.core.$strict
            >
          >;
        },
        z.core.$strict
      >
    >;
    run: z.ZodObject<
      {
        command: z.ZodArray<z.ZodString>;
      },
      z.core.$strict
    >;
    memory: z.ZodDefault<
      z.ZodObject<
        {
          runtimeMb: z.ZodDefault<z.ZodNumber>;
          outOfMemory: z.ZodDefault<z.ZodArray<z.ZodString>>;
        },
        z.core.$strict
      >
    >;
    version: z.ZodObject<
      {
        command: z.ZodArray<z.ZodString>;
        pattern: z.ZodOptional<z.ZodString>;
      },
      z.core.$strict
    >;
    template: z.ZodOptional<z.ZodString>;
  },
  z.core.$strict
>;
export type LanguageDefinition = z.infer<typeof LanguageDefinition>;
export declare const languagesDir: string;
export declare function loadLanguages(dir?: string): Map<string, LanguageDefinition>;
export declare function languageForFile(languages: Map<string, LanguageDefinition>, fileName: string): LanguageDefinition;
export declare function languageById(languages: Map<string, LanguageDefinition>, id: string): LanguageDefinition;
/** Values of the definition's variables for this main source. */
export declare function resolveVariables(lang: LanguageDefinition, source: string): Record<string, string>;
/** Replaces {name} placeholders; unknown names are an error in the definition. */
export declare function expand(template: string, values: Record<string, string>): string;
