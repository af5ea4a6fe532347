Attribute VB_Name = "WorkbookTools"
' Przyciski workbook-tools: kazdy wywoluje te sama funkcje Pythona co polecenie
' workbook-tools w terminalu (przez xlwings RunPython, bez dodatku xlwings).
' Buttons of workbook-tools: each runs the same Python function as the command line.
Option Explicit

Public Sub Sprawdz()
    RunPython "import workbook_tools.excel as wt; wt.sprawdz()"
End Sub

Public Sub Uzupelnij()
    RunPython "import workbook_tools.excel as wt; wt.uzupelnij()"
End Sub

Public Sub Popraw()
    RunPython "import workbook_tools.excel as wt; wt.popraw()"
End Sub

Public Sub Zestawienie()
    RunPython "import workbook_tools.excel as wt; wt.zestawienie()"
End Sub

Public Sub WyczyscOznaczenia()
    RunPython "import workbook_tools.excel as wt; wt.wyczysc()"
End Sub
