import type { TestProject } from 'vitest/node';
import { buildPgTemplate, buildPgliteTemplate } from './template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateFile: string;
    pgTemplateDb: string | null;
  }
}

/** Builds the database templates once per run; each test file clones one (see database.ts). */
export default async function setup(project: TestProject) {
  project.provide('pgliteTemplateFile', await buildPgliteTemplate());
  const url = process.env.TEST_DATABASE_URL;
  project.provide('pgTemplateDb', url ? await buildPgTemplate(url) : null);
}
