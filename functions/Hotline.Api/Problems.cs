using Hotline.Orchestrations.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Hotline.Api;

/// <summary>RFC 9457 problem responses. Each names what was wrong: a field, a lifecycle rule, a missing matter.</summary>
public static class Problems
{
    public const string TypeBase = "/problems/";

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request has invalid fields.", type: TypeBase + "validation",
            detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string what) =>
        Results.Problem(title: "Not found.", detail: what, statusCode: StatusCodes.Status404NotFound, type: TypeBase + "not-found");

    public static IResult Unauthorized() =>
        Results.Problem(title: "A valid key is required.", detail: "Send your key in the x-functions-key header.",
            statusCode: StatusCodes.Status401Unauthorized, type: TypeBase + "unauthorized");

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Not allowed for this key.", detail: detail, statusCode: StatusCodes.Status403Forbidden, type: TypeBase + "forbidden");

    public static IResult TooLarge(long limit) =>
        Results.Problem(title: "The request body is too large.", detail: $"At most {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge,
            type: TypeBase + "too-large");

    public static IResult Unsupported(string detail) =>
        Results.Problem(title: "Unsupported media type.", detail: detail, statusCode: StatusCodes.Status415UnsupportedMediaType, type: TypeBase + "unsupported-media-type");

    /// <summary>A lifecycle refusal: its code is the problem type and an extension member, its message the detail.</summary>
    public static IResult Refused(Refusal refusal)
    {
        if (refusal.Code == RefusalCodes.InvalidInput && refusal.Message.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
        {
            return Invalid(refusal.Message[..colon], refusal.Message[(colon + 1)..].Trim());
        }
        var status = refusal.Code switch
        {
            RefusalCodes.MatterMissing => StatusCodes.Status404NotFound,
            RefusalCodes.ActorNotAllowed or RefusalCodes.NotTheOrganizer or RefusalCodes.NotACoOrganizer => StatusCodes.Status403Forbidden,
            RefusalCodes.UnknownRejectionReason or RefusalCodes.NotAConsultation or RefusalCodes.EvidenceRequired or RefusalCodes.EvidenceType
                or RefusalCodes.LeadIsCoOrganizer => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status409Conflict,
        };
        return Results.Problem(title: "The lifecycle refused this.", detail: refusal.Message, statusCode: status, type: TypeBase + refusal.Code,
            extensions: new Dictionary<string, object?> { ["code"] = refusal.Code });
    }
}
