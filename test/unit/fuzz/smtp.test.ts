// Fuzzing the SMTP client: malformed server input never crashes and never loses a byte (see suite.ts).
import { defineFuzzTests } from './suite.js';

defineFuzzTests('smtp');
