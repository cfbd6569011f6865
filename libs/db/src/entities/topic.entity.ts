import { Entity, PrimaryColumn } from 'typeorm';
import { BooleanColumn, JsonbColumn, TextColumn } from './columns';
import { TimestampedEntity } from './timestamped';

/** A research topic of the taxonomy. Topics are data: users add and edit them. */
@Entity({ name: 'topics' })
export class TopicEntity extends TimestampedEntity {
  @PrimaryColumn({ type: 'text' }) slug: string;
  @TextColumn() name: string;
  @TextColumn() description: string;
  @TextColumn({ array: true, default: () => "'{}'" }) keywords: string[];
  /** example papers that define the topic by similarity */
  @JsonbColumn({ default: () => "'[]'" }) examples: { title: string; abstract: string }[];
  /** 'default' for the shipped taxonomy, 'user' for topics added by operators */
  @TextColumn({ default: 'user' }) origin: string;
  @BooleanColumn({ default: true }) enabled: boolean;
}
