namespace Modular.Modules.Payments.Contracts;

public sealed record PaymentAuthorized(Guid OrderId, string AuthorizationId, decimal Amount, string Currency, DateTimeOffset AuthorizedAt);
