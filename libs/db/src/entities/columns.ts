import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';
import type { ColumnOptions, ColumnType } from 'typeorm';

/** Options of a typed column; the database name defaults to the property name in snake_case. */
export type TypedColumnOptions = Omit<ColumnOptions, 'type'>;

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function typedColumn(type: ColumnType) {
  return (options: TypedColumnOptions = {}): PropertyDecorator =>
    (target, key) =>
      Column({ name: snakeCase(String(key)), type, ...options })(target, key);
}

export const TextColumn = typedColumn('text');
export const IntegerColumn = typedColumn('integer');
export const DoubleColumn = typedColumn('double precision');
export const BooleanColumn = typedColumn('boolean');
export const UuidColumn = typedColumn('uuid');
export const DateColumn = typedColumn('date');
export const TimestampColumn = typedColumn('timestamptz');
export const JsonbColumn = typedColumn('jsonb');

/** `timestamptz NOT NULL DEFAULT now()`: when the row (or the stage it records) was written, unless the writer says. */
export const DefaultNowColumn = () => TimestampColumn({ default: () => 'now()' });

/** `created_at timestamptz`, set on insert. */
export const CreatedAtColumn = () => CreateDateColumn({ name: 'created_at', type: 'timestamptz' });
/** `updated_at timestamptz`, set on every write through TypeORM. */
export const UpdatedAtColumn = () => UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' });
