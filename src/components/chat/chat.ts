import { define } from '../shared/define.js';
import { IntakeChat } from './chat.component.js';

export { IntakeChat };
define('intake-chat', IntakeChat);
