import { JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UuidColumn } from './columns';
import { PaperEntity } from './paper.entity';

/**
 * Columns of a table with many rows per paper (claims, sightings, versions): a uuid key and the
 * paper it belongs to, deleted with it. Not an entity of its own: each subclass is a table.
 */
export abstract class PaperRowEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @UuidColumn() paperId: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id' })
  paper?: PaperEntity;
}
