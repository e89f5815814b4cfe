// Test support: tags a test with the gradient rules it checks; the tag is verified against the graphs the test checked.
using NUnit.Framework.Interfaces;

namespace IJepa.GraphBuilder.Tests.Support;

/// <summary>
/// Names the op types whose gradient rules a test checks. <c>RuleCoverageTests</c> collects these tags and asserts
/// they cover <c>GradRules.OpTypes</c>; after the test, every named op must appear in a graph that
/// <see cref="GradCheck"/> checked, so a tag cannot claim a check that did not run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChecksRulesAttribute : PropertyAttribute, ITestAction
{
    public const string PropertyName = "ChecksRule";

    public ChecksRulesAttribute(params string[] opTypes)
    {
        OpTypes = opTypes;
        foreach (var op in opTypes) Properties.Add(PropertyName, op);
    }

    public IReadOnlyList<string> OpTypes { get; }

    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => GradCheck.TakeCheckedOpTypes(test.Id);

    public void AfterTest(ITest test)
    {
        var missing = OpTypes.Except(GradCheck.TakeCheckedOpTypes(test.Id)).ToList();
        if (missing.Count > 0 && TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Passed)
            Assert.Fail($"{test.Name} is tagged as checking [{string.Join(", ", missing)}] but no checked graph contains them");
    }
}
