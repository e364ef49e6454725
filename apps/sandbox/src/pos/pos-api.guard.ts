import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PosSimAuthService } from './pos-sim-auth.service';
import type { PosCaller } from './pos-sim.model';

type PosRequest = FastifyRequest & { posCaller?: PosCaller };

/** Every PoS v10 call: a live access token and the headers PoS requires. */
@Injectable()
export class PosApiGuard implements CanActivate {
  constructor(private readonly auth: PosSimAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<PosRequest>();
    request.posCaller = this.auth.authenticate(request.headers);
    return true;
  }
}

/** The integrator and merchant of the call; only behind `PosApiGuard`. */
export const Caller = createParamDecorator(
  (_: unknown, context: ExecutionContext): PosCaller =>
    context.switchToHttp().getRequest<PosRequest>().posCaller!,
);
