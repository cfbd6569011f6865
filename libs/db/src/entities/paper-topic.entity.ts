import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PaperEntity } from './paper.entity';
import { TopicEntity } from './topic.entity';

@Entity({ name: 'paper_topics' })
@Index('idx_paper_topics_topic', ['topicSlug', 'score'])
export class PaperTopicEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid' })
  paperId: string;

  @PrimaryColumn({ name: 'topic_slug', type: 'text' })
  topicSlug: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id' })
  paper?: PaperEntity;

  @ManyToOne(() => TopicEntity, { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'topic_slug' })
  topic?: TopicEntity;

  @Column({ type: 'real' })
  score: number;

  @Column({ name: 'is_primary', type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  evidence: string[];

  @Column({ name: 'model_version', type: 'text' })
  modelVersion: string;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  @Column({ name: 'classified_at', type: 'timestamptz', default: () => 'now()' })
  classifiedAt: Date;
}
