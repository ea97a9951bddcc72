import { quietLocalDefaults } from '../functions/config/settings.ts';

/** Imported first by `npm start`: see quietLocalDefaults(). */
quietLocalDefaults();
