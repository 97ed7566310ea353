// The privacy notice page (privasi.html): static text; only the unit's name is filled in.
import { loadOptions, showUnitName } from './common.js';

loadOptions().then(showUnitName);
