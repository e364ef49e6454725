import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';
import { PosSimPaymentsService } from './pos-sim-payments.service';

const userSchema = z.object({ beaconId: z.string().min(1), phoneNumber: z.string().min(4) });
const cancelSchema = z.object({ beaconId: z.string().min(1) });

/** The User Simulation API of MobilePay's sandbox: what the app does for the user. */
@Controller('pos/app/usersimulation')
export class PosUserSimulationController {
  constructor(private readonly payments: PosSimPaymentsService) {}

  @Post('checkin')
  @HttpCode(200)
  checkIn(@Body() body: unknown): void {
    const { beaconId, phoneNumber } = parseBody(userSchema, body);
    this.payments.checkIn(beaconId, normalizePhone(phoneNumber));
  }

  @Post('acceptpayment')
  @HttpCode(200)
  accept(@Body() body: unknown): void {
    const { beaconId, phoneNumber } = parseBody(userSchema, body);
    this.payments.accept(beaconId, normalizePhone(phoneNumber));
  }

  @Post('cancelpaymentbyuser')
  @HttpCode(200)
  cancel(@Body() body: unknown): void {
    this.payments.cancelByUser(parseBody(cancelSchema, body).beaconId);
  }
}

/** "+45 20031801" and "+4520031801" are the same test user. */
function normalizePhone(phoneNumber: string): string {
  return phoneNumber.replace(/\s+/g, '');
}
