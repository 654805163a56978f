# Makes the project root importable for the tests (app_pages/, ceasefire/).
