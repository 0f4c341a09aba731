import { define } from '../shared/define.js';
import { IntakeStatus } from './status.component.js';

export { IntakeStatus };
define('intake-status', IntakeStatus);
