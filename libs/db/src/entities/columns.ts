import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ColumnOptions, ColumnType } from 'typeorm';

/** Options of a typed column; the database name defaults to the property name in snake_case. */
export type TypedColumnOptions = Omit<ColumnOptions, 'type'>;

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `default: now`  — the column is set by Postgres when the row is written. */
export const now = () => 'now()';

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

/** `created_at timestamptz`, set on insert. */
export const CreatedAtColumn = () => CreateDateColumn({ name: 'created_at', type: 'timestamptz' });
/** `updated_at timestamptz`, set on every write through TypeORM. */
export const UpdatedAtColumn = () => UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' });

/** Columns of a table keyed by slug or name that records when each row was created and last changed. */
export abstract class TimestampedEntity {
  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}

/** A table with a uuid key and created/updated timestamps. Not an entity of its own. */
export abstract class UuidTimestampedEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;
}
