"""documents.E001: the documents folder is never one the web server serves."""

from mustafid.documents.checks import documents_root_not_served


def test_documents_under_the_static_root_are_an_error(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.DOCUMENTS_ROOT = tmp_path / "static" / "documents"
    assert [error.id for error in documents_root_not_served()] == ["documents.E001"]


def test_documents_under_the_media_root_are_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "media"
    assert [error.id for error in documents_root_not_served()] == ["documents.E001"]


def test_a_folder_of_its_own_passes(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    assert documents_root_not_served() == []


def test_the_default_folders_pass(settings):
    settings.DOCUMENTS_ROOT = settings.VAR_DIR / "documents"
    assert documents_root_not_served() == []
