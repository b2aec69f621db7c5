namespace Node.Federation.Discovery.Internal;

/// <summary>One interface discovery runs on: its responder and browser.</summary>
internal sealed class InterfaceLink(MdnsInterface networkInterface, LinkOutput output, Responder responder, Browser browser)
{
    public MdnsInterface Interface { get; set; } = networkInterface;

    public LinkOutput Output { get; } = output;

    public Responder Responder { get; } = responder;

    public Browser Browser { get; } = browser;

    public long NextDue => Math.Min(Responder.NextDue, Browser.NextDue);
}
