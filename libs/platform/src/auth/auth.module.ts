import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';
import { type JwtAuthOptions, JwtVerifier } from './jwt-verifier';

/** Makes every route of the app require a valid bearer token, unless marked `@Public()`. */
@Module({})
export class AuthModule {
  static register(options: JwtAuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: JwtVerifier, useValue: new JwtVerifier(options) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
      exports: [JwtVerifier],
    };
  }
}
