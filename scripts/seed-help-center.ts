import type { CommandBus } from '@nestjs/cqrs';
import {
  ChangeArticleStatusCommand,
  CreateArticleCommand,
  SaveCategoryCommand,
  SaveSectionCommand,
} from '../libs/knowledge-base/src';
import type { CommandContext } from '../libs/platform/src';

interface DemoArticle {
  title: string;
  body: string;
  tags: string[];
  visibility?: 'public' | 'internal';
  publish?: boolean;
}

/** A small help center for the demo tenant: two categories, published public articles, one internal, one draft. */
const HELP_CENTER: { category: string; sections: { name: string; articles: DemoArticle[] }[] }[] = [
  {
    category: 'Getting started',
    sections: [
      {
        name: 'Your account',
        articles: [
          {
            title: 'Reset your password',
            tags: ['account', 'password'],
            body: `If you forgot your password, you can set a new one in a minute.

## From the sign-in page

1. Click **Forgot password?** below the sign-in form.
2. Enter the email address you signed up with.
3. Open the email we send you and follow the link within 30 minutes.

## If the email does not arrive

Check your spam folder, and make sure the address is the one on your account. Links expire after 30 minutes; request a new one if yours has.`,
          },
          {
            title: 'Change the email address on your account',
            tags: ['account', 'email'],
            body: `Go to **Settings → Profile**, enter the new address and confirm it from the message we send there. Until you confirm, we keep writing to the old address.`,
          },
        ],
      },
      {
        name: 'Booking a visit',
        articles: [
          {
            title: 'Book a boiler service visit',
            tags: ['booking', 'boiler'],
            body: `A yearly boiler service keeps your warranty valid and your heating safe.

## Choosing a slot

Pick a morning (8–12) or afternoon (12–17) slot in the booking page. A technician calls 30 minutes before arriving.

## Before the visit

Clear access to the boiler and the gas meter. If your boiler is in a cupboard, empty the shelves around it.`,
          },
          {
            title: 'Reschedule or cancel a visit',
            tags: ['booking'],
            body: `You can move or cancel a visit free of charge until 24 hours before it starts, from the link in your confirmation email. Later changes may be charged a call-out fee.`,
          },
        ],
      },
    ],
  },
  {
    category: 'Billing and payments',
    sections: [
      {
        name: 'Invoices',
        articles: [
          {
            title: 'Download an invoice',
            tags: ['billing', 'invoice', 'pdf'],
            body: `Every completed job has an invoice. Open **Billing → Invoices**, pick the job and click **Download PDF**. Invoices are kept for seven years.`,
          },
          {
            title: 'Payment methods we accept',
            tags: ['billing', 'payment'],
            body: `We accept debit and credit cards (Visa, Mastercard, American Express) and bank transfers. Card payments are taken when the job is closed; bank transfers are due within 14 days.`,
          },
          {
            title: 'Refund procedure for agents',
            tags: ['billing', 'refund'],
            visibility: 'internal',
            body: `Refunds above £200 need a team lead's approval. Record the reason on the ticket, then issue the refund from the payment provider's dashboard and link it in the ticket.`,
          },
          {
            title: 'Direct debit (coming soon)',
            tags: ['billing'],
            publish: false,
            body: `Draft: direct debit for maintenance plans. Not announced yet.`,
          },
        ],
      },
    ],
  },
];

/** Creates the demo help center through the knowledge base's commands; the worker indexes it for search. */
export async function seedHelpCenter(commands: CommandBus, context: CommandContext): Promise<{ published: number; publicArticles: number }> {
  let published = 0;
  let publicArticles = 0;
  for (const [c, category] of HELP_CENTER.entries()) {
    const saved = await commands.execute(new SaveCategoryCommand(context, null, { locale: 'en', name: category.category, position: c }));
    for (const [s, section] of category.sections.entries()) {
      const savedSection = await commands.execute(new SaveSectionCommand(context, null, { categoryId: saved.id, name: section.name, position: s }));
      for (const [a, article] of section.articles.entries()) {
        const created = await commands.execute(
          new CreateArticleCommand(context, { sectionId: savedSection.id, title: article.title, body: article.body, tags: article.tags, visibility: article.visibility ?? 'public', position: a }),
        );
        if (article.publish !== false) {
          await commands.execute(new ChangeArticleStatusCommand(context, created.id, 'published'));
          published++;
          if ((article.visibility ?? 'public') === 'public') publicArticles++;
        }
      }
    }
  }
  return { published, publicArticles };
}
