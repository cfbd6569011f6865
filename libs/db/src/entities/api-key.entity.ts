import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const API_KEY_SCOPES = ['read', 'subscriptions', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An API key: shown once, stored as a sha256 hash (keys are 256-bit random, so no slow hash is needed). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** first characters of the key, to find it and to show it in listings */
  @Column({ type: 'text', unique: true })
  prefix: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ type: 'text', array: true })
  scopes: ApiKeyScope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
