export * from './common';
export * from './hotkeys';
export * from './taxonomy';
export * from './site-profile';
export * from './audit';
export * from './settings';
export * from './note';
