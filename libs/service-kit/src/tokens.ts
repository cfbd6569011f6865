export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const REDIS = Symbol('REDIS');
export const QUEUE_SET = Symbol('QUEUE_SET');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
