// Jest setup (int and e2e projects): a test fails when a response the api sent during it does not match the
// OpenAPI document (see recordContract, mounted by services/api/src/testing/app.ts).
import { afterAll, afterEach } from '@jest/globals';
import { takeContractViolations } from './contract-recorder';

function failOnViolations(): void {
  const violations = takeContractViolations();
  if (violations.length > 0)
    throw new Error(
      `${violations.length} response(s) do not match the OpenAPI document:\n- ${[...new Set(violations)].join('\n- ')}`,
    );
}

afterEach(failOnViolations);
afterAll(failOnViolations);
