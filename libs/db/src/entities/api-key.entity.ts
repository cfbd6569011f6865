import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, TextColumn, TimestampColumn } from './columns';

export const API_KEY_SCOPES = ['read', 'subscriptions', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An API key: shown once, stored as a sha256 hash (keys are 256-bit random, so no slow hash is needed). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @TextColumn() name: string;
  /** first characters of the key, to find it and to show it in listings */
  @TextColumn({ unique: true }) prefix: string;
  @TextColumn() keyHash: string;
  @TextColumn({ array: true }) scopes: ApiKeyScope[];
  @CreatedAtColumn() createdAt: Date;
  @TimestampColumn({ nullable: true }) lastUsedAt: Date | null;
  @TimestampColumn({ nullable: true }) revokedAt: Date | null;
}
