import { define } from '../shared/define.js';
import { IntakeWidget } from './widget.component.js';

export { IntakeWidget };
define('intake-widget', IntakeWidget);
