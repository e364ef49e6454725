import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { parseBody } from '../../common/parse-body';
import { type Iso8583Behaviour, Iso8583BehaviourSchema } from './iso8583-behaviour.schema';
import { Iso8583SimulatorServer } from './iso8583-simulator.server';
import { type Iso8583Record, Iso8583SimulatorStore } from './iso8583-simulator.store';

type PublicRecord = Omit<Iso8583Record, 'fingerprint' | 'answer'>;

/** Inspection and fault injection for the ISO 8583 host (the protocol itself is on TCP). */
@Controller('acquirer/iso8583')
export class Iso8583SimulatorController {
  constructor(
    private readonly store: Iso8583SimulatorStore,
    private readonly server: Iso8583SimulatorServer,
  ) {}

  @Get('_info')
  info(): { host: string; port: number } {
    return this.server.address();
  }

  @Get('_records')
  records(): PublicRecord[] {
    return this.store.list().map(({ fingerprint: _f, answer: _a, ...record }) => record);
  }

  @Delete('_records')
  @HttpCode(204)
  clear(): void {
    this.store.clear();
  }

  @Post('_behaviour')
  @HttpCode(200)
  setBehaviour(@Body() body: unknown): Iso8583Behaviour {
    return this.store.setBehaviour(parseBody(Iso8583BehaviourSchema, body));
  }

  @Delete('_behaviour')
  @HttpCode(204)
  resetBehaviour(): void {
    this.store.setBehaviour({ mode: 'normal', delayMs: 0, times: null });
  }
}
