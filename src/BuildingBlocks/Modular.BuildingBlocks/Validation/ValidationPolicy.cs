using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wolverine.Configuration;
using Wolverine.Http;
using Wolverine.Http.CodeGen;
using Wolverine.Runtime.Handlers;

namespace Modular.BuildingBlocks.Validation;

/// <summary>
/// Runs the FluentValidation validators registered for a message or request body before its handler or
/// endpoint. WolverineFx.FluentValidation is not on our package feed; see docs/adr/0005.
/// </summary>
public sealed class ValidationPolicy : IHandlerPolicy, IHttpPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => HasValidator(container, c.MessageType)))
        {
            // Two modules may both handle (and validate) one contract message; each chain applies its own module's rules.
            if (chain.HandlerCalls().FirstOrDefault()?.HandlerType.Assembly.GetName().Name is not { } module)
            {
                continue;
            }

            var call = new MethodCall(typeof(Validate),
                typeof(Validate).GetMethod(nameof(Validate.MessageAsync))!.MakeGenericMethod(chain.MessageType));
            call.Arguments[2] = Constant.ForString(module);
            chain.Middleware.Insert(0, call);
        }
    }

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType && HasValidator(container, c.RequestType!)))
        {
            var call = new MethodCall(typeof(Validate),
                typeof(Validate).GetMethod(nameof(Validate.RequestAsync))!.MakeGenericMethod(chain.RequestType!));
            chain.Metadata.Produces<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json");
            chain.Middleware.InsertRange(0, [call, new MaybeEndWithResultFrame(call.ReturnVariable!)]);
        }
    }

    private static bool HasValidator(IServiceContainer container, Type validatedType) =>
        container.HasRegistrationFor(typeof(IValidator<>).MakeGenericType(validatedType));
}
