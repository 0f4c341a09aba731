import { define } from '../shared/define.js';
import { IntakeForm } from './form.component.js';

export { IntakeForm };
define('intake-form', IntakeForm);
