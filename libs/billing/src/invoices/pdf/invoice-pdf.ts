import { onFirstUse } from '@switchboard/platform';
import type PDFKit from 'pdfkit';
import { formatMoney } from '../domain/money';
import type { InvoiceView } from '../repositories/invoices.sql';

type PdfDocumentClass = typeof PDFKit;
/** pdfkit (and its font metrics) loads with the first document, not when the app boots. */
const pdfkit = onFirstUse<PdfDocumentClass>('pdfkit');

export interface InvoiceDocument {
  invoice: InvoiceView;
  /** The number of the invoice a credit note credits. */
  creditedNumber: string | null;
  seller: { name: string; address: string | null; taxId: string | null; footer: string | null; logo: { type: string; data: Buffer } | null };
  customer: { name: string; email: string | null; organization: string | null };
  locale: string;
  timeZone: string;
}

const MARGIN = 50;

/** A4, one column; lines in a table with quantity, unit price, tax rate and amount. */
export function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const PDFDocument = pdfkit();
  const { invoice, seller, customer } = doc;
  const money = (minor: number) => formatMoney(minor, invoice.currency, doc.locale);
  const date = (iso: string | null) => (iso ? new Intl.DateTimeFormat(doc.locale, { dateStyle: 'long', timeZone: doc.timeZone }).format(new Date(iso)) : '—');
  const title = invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice';

  const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${title} ${invoice.number ?? '(draft)'}`, Author: seller.name }, compress: true });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const right = pdf.page.width - MARGIN;
  const width = right - MARGIN;
  let top = MARGIN;
  if (seller.logo) {
    try {
      pdf.image(seller.logo.data, MARGIN, top, { fit: [140, 60] });
      top += 70;
    } catch {
      // An unreadable logo leaves the document without it rather than without a PDF.
    }
  }
  pdf.font('Helvetica-Bold').fontSize(16).text(seller.name, MARGIN, top);
  pdf.font('Helvetica').fontSize(9);
  if (seller.address) pdf.text(seller.address);
  if (seller.taxId) pdf.text(`Tax ID: ${seller.taxId}`);

  pdf.font('Helvetica-Bold').fontSize(20).text(`${title}${invoice.status === 'draft' ? ' (draft)' : ''}`, MARGIN, top, { width, align: 'right' });
  pdf.font('Helvetica').fontSize(10);
  pdf.text(`Number: ${invoice.number ?? 'not yet numbered'}`, { width, align: 'right' });
  pdf.text(`Issued: ${date(invoice.issuedAt)}`, { width, align: 'right' });
  if (invoice.kind === 'invoice') pdf.text(`Due: ${date(invoice.dueAt)}`, { width, align: 'right' });
  if (doc.creditedNumber) pdf.text(`Credits invoice ${doc.creditedNumber}`, { width, align: 'right' });
  if (invoice.status === 'void') pdf.fillColor('#b00020').text('VOID', { width, align: 'right' }).fillColor('black');
  if (invoice.status === 'paid') pdf.fillColor('#00796b').text(`PAID ${date(invoice.paidAt)}`, { width, align: 'right' }).fillColor('black');

  pdf.moveDown(2);
  pdf.font('Helvetica-Bold').fontSize(10).text('Bill to', MARGIN);
  pdf.font('Helvetica').text(customer.name);
  if (customer.organization) pdf.text(customer.organization);
  if (customer.email) pdf.text(customer.email);
  pdf.moveDown(1.5);

  const cols = { description: MARGIN, quantity: MARGIN + 250, unit: MARGIN + 310, tax: MARGIN + 390, amount: MARGIN + 430 };
  const header = (y: number) => {
    pdf.font('Helvetica-Bold').fontSize(9);
    pdf.text('Description', cols.description, y, { width: 240 });
    pdf.text('Qty', cols.quantity, y, { width: 55, align: 'right' });
    pdf.text('Unit price', cols.unit, y, { width: 75, align: 'right' });
    pdf.text('Tax', cols.tax, y, { width: 35, align: 'right' });
    pdf.text('Amount', cols.amount, y, { width: right - cols.amount, align: 'right' });
    pdf.moveTo(MARGIN, y + 13).lineTo(right, y + 13).stroke();
    pdf.font('Helvetica').fontSize(9);
    return y + 18;
  };
  let y = header(pdf.y);
  for (const line of invoice.lines) {
    const height = Math.max(pdf.heightOfString(line.description, { width: 240 }), 11);
    if (y + height > pdf.page.height - MARGIN - 120) {
      pdf.addPage();
      y = header(MARGIN);
    }
    pdf.text(line.description, cols.description, y, { width: 240 });
    pdf.text(line.quantity, cols.quantity, y, { width: 55, align: 'right' });
    pdf.text(money(line.unitPrice), cols.unit, y, { width: 75, align: 'right' });
    pdf.text(`${(line.taxRateBp / 100).toFixed(2)}%`, cols.tax, y, { width: 35, align: 'right' });
    pdf.text(money(line.subtotal), cols.amount, y, { width: right - cols.amount, align: 'right' });
    y += height + 6;
  }
  pdf.moveTo(MARGIN, y).lineTo(right, y).stroke();
  y += 8;
  const sum = (label: string, value: string, bold = false) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 11 : 10);
    pdf.text(label, cols.unit - 60, y, { width: 160, align: 'right' });
    pdf.text(value, cols.amount - 30, y, { width: right - cols.amount + 30, align: 'right' });
    y += bold ? 16 : 14;
  };
  sum('Subtotal', money(invoice.subtotal));
  sum('Tax', money(invoice.tax));
  sum('Total', money(invoice.total), true);
  if (invoice.credited !== 0) sum('Credited', money(invoice.credited));
  if (invoice.kind === 'invoice' && invoice.status !== 'draft') sum('Amount due', money(invoice.amountDue), true);

  pdf.font('Helvetica').fontSize(10);
  pdf.x = MARGIN;
  pdf.y = y + 16;
  if (invoice.memo) pdf.text(invoice.memo, MARGIN, pdf.y, { width });
  if (invoice.paymentUrl && invoice.amountDue > 0) {
    pdf.moveDown();
    pdf.font('Helvetica-Bold').text('Pay online: ', MARGIN, pdf.y, { continued: true }).font('Helvetica').fillColor('#1a4fd6').text(invoice.paymentUrl, { link: invoice.paymentUrl, underline: true }).fillColor('black');
  }
  if (seller.footer) {
    pdf.moveDown(2);
    pdf.fontSize(8).fillColor('#555555').text(seller.footer, MARGIN, pdf.y, { width, align: 'center' }).fillColor('black');
  }
  pdf.end();
  return done;
}
