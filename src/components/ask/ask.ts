import { define } from '../shared/define.js';
import { IntakeAsk } from './ask.component.js';

export { IntakeAsk };
define('intake-ask', IntakeAsk);
