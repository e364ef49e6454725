import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { AdminAuthGuard } from '../merchants/auth.guard';
import { type AttentionAction, type AttentionItem, AttentionService } from './attention.service';

const ACTIONS = new Set<string>(['run_reversal', 'retry_report', 'retry_webhooks']);

/** Back office: what needs a human, and the safe action for each item. */
@Controller('v1/admin/attention')
@UseGuards(AdminAuthGuard)
export class AttentionController {
  constructor(private readonly attention: AttentionService) {}

  @Get()
  list(): Promise<{ data: AttentionItem[] }> {
    return this.attention.list();
  }

  @Post(':action/:id')
  @HttpCode(200)
  act(@Param('action') action: string, @Param('id', ParseUUIDPipe) id: string) {
    if (!ACTIONS.has(action)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'unknown action', {
        actions: [...ACTIONS],
      });
    }
    return this.attention.act(action as AttentionAction, id);
  }
}
