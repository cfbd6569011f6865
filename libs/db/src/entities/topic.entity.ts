import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A research topic of the taxonomy. Topics are data: users add and edit them. */
@Entity({ name: 'topics' })
export class TopicEntity {
  @PrimaryColumn({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  /** example papers that define the topic by similarity */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  examples: { title: string; abstract: string }[];

  /** 'default' for the shipped taxonomy, 'user' for topics added by operators */
  @Column({ type: 'text', default: 'user' })
  origin: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
