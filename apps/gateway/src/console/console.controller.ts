import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleService } from './console.service';

/**
 * The operator console at /console: a login form (the admin key), the front end's shell and
 * assets (only with a session), and a logout. Its data comes from the admin API (/v1/admin/*),
 * which accepts the session cookie.
 */
@Controller('console')
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get('login')
  loginForm(@Res() reply: FastifyReply): Promise<void> {
    return this.console.loginForm(reply);
  }

  @Post('login')
  login(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.console.login(body, request, reply);
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.console.logout(request, reply);
  }

  @Get()
  shell(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.console.shell(request, reply);
  }

  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.console.asset(name, request, reply);
  }
}
