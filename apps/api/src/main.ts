import 'reflect-metadata';
import { Controller, Get, Module, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { hello } from '@switchboard/platform';
@Injectable() class Svc { v() { return hello; } }
@Controller() class C { constructor(private readonly s: Svc) {} @Get() g() { return { v: this.s.v() }; } }
@Module({ controllers: [C], providers: [Svc] }) class M {}
async function main() { const app = await NestFactory.create(M); await app.listen(3999); console.log('up'); }
void main();
