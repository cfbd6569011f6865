import { PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns';

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
