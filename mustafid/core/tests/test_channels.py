"""One enumeration of the eight policy channels (P-CH-1…8; issue 3 item 8)."""

from mustafid.core.channels import POLICY_CLAUSE, Channel


def test_there_are_exactly_the_eight_policy_channels():
    assert len(Channel) == 8
    assert sorted(POLICY_CLAUSE.values()) == [f"P-CH-{n}" for n in range(1, 9)]
    assert set(POLICY_CLAUSE) == set(Channel)


def test_channel_values_are_stable_codes():
    assert [c.value for c in Channel] == [
        "visit",
        "phone",
        "social_media",
        "letter",
        "help_request",
        "volunteer",
        "website",
        "branch_representative",
    ]
